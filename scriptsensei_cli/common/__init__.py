"""Small pure helpers both sides use, the CLI and the engine: file names, narration timing, sentences
and spoken lines of a text, checksums. Nothing here imports anything of ours but other helpers here.
"""
