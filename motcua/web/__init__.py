"""The server-rendered web interface: layout, sign-in, home pages, unit tree, calendar."""
