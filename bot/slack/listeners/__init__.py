"""One module per kind of request Slack sends; each has `register(app, services)`."""
