"""Entry points for outside systems that call services/: the optional SMTP listener."""
