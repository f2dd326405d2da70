"""What the add-on did to Blender: errors, leftovers, memory, deprecations, coverage."""
