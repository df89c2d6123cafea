"""certcheck's Slack app, store, scheduler and command line."""
