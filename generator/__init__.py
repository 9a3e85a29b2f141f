"""Build a static peer-support directory from YAML listings, Markdown articles and Jinja templates.

The pipeline reads like its file names: load → validate → model → render → write, in that order in
generator.stages.build. The speed layer (incremental, cachedread, parallel, processes, memory) runs
the same stages faster; generator.pipeline is the entry point that picks one or the other.
"""
