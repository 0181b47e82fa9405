def page_defaults(request) -> dict:
    """Template variables every page may read. `for_pdf` is true only where a view renders a PDF:
    it is a filter argument (`|typed:for_pdf`), and a filter argument that is missing is an error."""
    return {"for_pdf": False}
