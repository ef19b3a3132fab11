"""The content service beyond writing: score any text, and turn documents and web pages into scripts.

- `analyze`: the writer's scorer applied to text a user brings.
- `kinds`: what kind a file is, by its bytes, and its bytes as text.
- `documents`: a document's title, headings and paragraphs, by the parser of its kind.
- `fetch`: getting a web page without reaching into the server's own network.
- `condense`: paragraphs as narration that fits a platform, cut at sentence boundaries.
- `importer`: a parsed document saved as the user's script.
"""
