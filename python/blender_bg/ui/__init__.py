"""The UI check's side inside a Blender with a window: every panel, menu, header and list the
add-on draws, drawn, and what went wrong in each on the add-on's line.

    main.py        the order of it all (python/blender_bg_ui.py is the entry script)
    inventory.py   what the add-on draws: its classes and the draw functions it appended to
                   Blender's own menus, panels and headers
    spy.py         the add-on's draw and poll methods wrapped while drawing: which ran, what raised
    screen.py      the window: areas of each space type, the context a class is drawn in,
                   call_panel / call_menu, screenshots, a popup dismissed
    printed.py     what Blender prints instead of raising (a property or operator not found),
                   caught from its output and put on the add-on's line
    events.py      the JSON-lines file the TypeScript side reads (src/ui-check/ui-records.ts)

Nothing here imports bpy at import time: printed.py's reading is tested under plain Python.
"""
