"""Blender's own bare startup: the moment a --python script first runs."""

print("BARE-READY", flush=True)
