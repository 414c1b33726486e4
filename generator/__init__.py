"""nianbao: government information-disclosure annual reports -> checked records -> static site.

The pipeline, one package per stage (see pipeline.py, which names the stages):
    ingest  file -> Document (blocks of text and tables; the only place that knows file formats)
    parse   Document -> Record (the public contract, ../shared/spec/record.md)
    check   records -> each record's findings (rule catalogue with stable ids)
    render  the corpus and the rules -> Markdown pages (Jinja templates)
    site    Markdown -> HTML with MkDocs + Material
The stages share the typed model in model/ (Record, Finding, ParseWarning, Failure, Corpus).
"""

__version__ = "0.1.0"
