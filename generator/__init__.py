"""nianbao: government information-disclosure annual reports -> checked records -> static site.

The pipeline, one package per stage (see pipeline.build_site):
    ingest  file -> Document (blocks of text and tables; the only place that knows file formats)
    parse   Document -> record dict (the public contract, ../shared/spec/record.md)
    check   records -> findings (rule catalogue with stable ids)
    render  records + findings -> Markdown pages (Jinja templates)
    site    Markdown -> HTML with MkDocs + Material
"""

__version__ = "0.1.0"
