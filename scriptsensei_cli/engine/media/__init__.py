"""The media library: uploads, stock search, generated images."""
