"""``cvecheck interview``: turn a file's open questions into a conversation that fills it in.

- ``flow``: what to ask next and how an answer changes the file (no terminal code).
- ``fields``: what a field is (kind, choices, description), from the programme JSON Schema.
- ``document``: the round-trip YAML writer that keeps comments, order and untouched lines.
- ``terminal``: the front end for a terminal, or scripted with one answer per input line.
"""
