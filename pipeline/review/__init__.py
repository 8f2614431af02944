"""The editors' workspace: a local web application to hear, review and correct a session.

``create_app`` (in :mod:`pipeline.review.app`) builds the application; the package is
imported lazily by the ``review`` command so that every command's ``--help`` stays instant.
"""
