#!/usr/bin/env node
/** The oldest Node.js the command line runs on: package.json's `engines` says the same (a test holds them together). */
const NODE_MAJOR_REQUIRED = 24;
/**
 * The sentence that refuses a Node.js older than NODE_MAJOR_REQUIRED, or undefined. Said before
 * anything else loads: an older Node would otherwise run on, silently, until something it lacks.
 */
function nodeTooOld(version) {
    const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
    if (Number.isInteger(major) && major >= NODE_MAJOR_REQUIRED)
        return undefined;
    return `blender-bg-action needs Node.js ${NODE_MAJOR_REQUIRED} or newer; this is Node.js ${version}. Install Node.js ${NODE_MAJOR_REQUIRED} (nvm install ${NODE_MAJOR_REQUIRED}, or actions/setup-node with node-version: ${NODE_MAJOR_REQUIRED}).`;
}

// The Node.js check comes before the command line's code is even loaded (a dynamic import).
const refused = nodeTooOld(process.versions.node);
if (refused) {
    process.stderr.write(`${refused}\n`);
    process.exitCode = 2;
}
else {
    await import('./chunks/cli-main.js');
}
