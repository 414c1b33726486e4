"""One module per rule family; `generator.check.RULES` is their table of contents."""
