"""Build a static peer-support directory from YAML listings, Markdown articles and Jinja templates.

The pipeline reads like its file names: load → validate → model → render → write.
"""
