"""Sample standards corpora: markup sources, their generated PDFs, gold files and manifests.

``corpora.pdfgen`` renders the corpus markup (see ``corpora/README.md``) to PDF with
reportlab; ``python -m corpora.build`` regenerates every PDF from its source.
"""
