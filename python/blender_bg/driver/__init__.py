"""The keep-alive driver: Blender kept running headless, its loop, its channels, its stop."""
