"""Service domains (users, audit, …), each with models, schemas, repository and service.

Services take the caller's `Session` and never commit: the request, job or command that
opened the unit of work decides.
"""
