"""Nothing for download on purpose: brokers and investor contacts are people, and the pipeline
and the projects are read on their pages and through the API."""
