"""The review workspace (`flows.review.app.create_app`), started by ``policyflow review``."""
