import { describe, expect, it } from 'vitest';
import { blenderProblems } from '../../../src/addon/extension-install.js';

// Recorded from real Blenders (`--factory-startup --command extension validate|install-file`).
const FOLDER_4_3 = `Error parsing TOML "/tmp/ext/src/blender_manifest.toml"
key "permissions" invalid: value of "network": a value no longer than 64 characters expected, found 66
`;
const ZIP_4_3 = `FATAL_ERROR: Error parsing TOML in "/tmp/ext/long.zip"
FATAL_ERROR: key "permissions" invalid: value of "network": a value no longer than 64 characters expected, found 66
`;
// sid's 5.2 prints its extension manager's failed registration first: noise, not the verdict.
const FOLDER_5_2 = `Traceback (most recent call last):
  File "/usr/share/blender/scripts/modules/_bpy_internal/http/downloader.py", line 51, in <module>
    import cattrs
ModuleNotFoundError: No module named 'cattrs'
Exception in module register(): /usr/share/blender/scripts/addons_core/bl_pkg/__init__.py
Error parsing TOML "/tmp/x/blender_manifest.toml"
missing "maintainer"
key "id" invalid: Only single separators are supported
`;
const TAGS = `FATAL_ERROR: Error in TOML "/tmp/ext/tagt/blender_manifest.toml" loading tags: found invalid tag "Not A Blender Tag" not found in:
(3D View, Add Curve, Add Mesh)
Either correct the tag or disable validation using an empty tags argument --valid-tags="", see --help text for details.
`;
const INSTALL_4_3 = `ERROR Failed to load manifest from: key "id" invalid: Only single separators are supported
`;
const INSTALL_5_2 = `Exception in module register(): /usr/share/blender/scripts/addons_core/bl_pkg/__init__.py
ERROR Failed to load manifest: key "version" invalid: to be a semantic-version, found '1.2' from /tmp/exp/bad.zip
`;
const NO_INIT = `Error, file missing from add-on: "__init__.py"
`;

describe("blenderProblems: Blender's own words from an extension command", () => {
  it.each([
    ['a folder (4.3)', FOLDER_4_3, ['key "permissions" invalid: value of "network": a value no longer than 64 characters expected, found 66']],
    ['a zip (4.3)', ZIP_4_3, ['key "permissions" invalid: value of "network": a value no longer than 64 characters expected, found 66']],
    ['after startup noise (5.2)', FOLDER_5_2, ['missing "maintainer"', 'key "id" invalid: Only single separators are supported']],
    [
      'a problem that continues on the next line (and advice on validate’s own flags, left out)',
      TAGS,
      ['loading tags: found invalid tag "Not A Blender Tag" not found in: (3D View, Add Curve, Add Mesh)'],
    ],
    ['install-file refusing a zip (4.3)', INSTALL_4_3, ['key "id" invalid: Only single separators are supported']],
    ['install-file refusing a zip (5.2: the zip named after it)', INSTALL_5_2, [`key "version" invalid: to be a semantic-version, found '1.2'`]],
    ['a missing file', NO_INIT, ['Error, file missing from add-on: "__init__.py"']],
    ['nothing recognisable: the last lines', 'Segmentation fault\n', ['Segmentation fault']],
    ['nothing at all', '', ['(it printed no reason; see the Blender log)']],
  ])('%s', (_what, output, problems) => {
    expect(blenderProblems(output)).toEqual(problems);
  });
});
