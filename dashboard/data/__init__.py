"""Loading and validation at the boundary: files in, typed tables out, or a located error."""
