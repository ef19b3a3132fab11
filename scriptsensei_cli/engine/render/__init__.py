"""The offline render pipeline: word timings, caption tracks (ASS, SRT, WebVTT) and the fonts that draw them.

Modules are imported where they are used; this package imports nothing so that loading one step does not
load the others (fontTools, in particular, is only read at render time).
"""
