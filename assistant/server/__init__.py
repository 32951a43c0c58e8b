"""The local server: ``briefing serve`` (a JSON API under ``/v1`` and MCP at ``/mcp``) and
``briefing mcp`` (MCP over standard input and output), both calling one service.

- ``app``: the server assembled: service, routes, MCP endpoint, guards and watcher.
- ``service``: what the server offers, whatever the transport.
- ``http``: the HTTP routes under ``/v1``, their OpenAPI schema, and MCP at ``/mcp``.
- ``mcp_tools``: Briefing as Model Context Protocol tools.
- ``mcp_stdio``: MCP over standard input and output.
- ``guards``: who may call the server, and how much they may send.
- ``readers``: who is asking (the tokens file) and at what clearance.
- ``connections``: how long a client may take, how many may connect, non-HTTP clients.
- ``watcher``: the index kept current in a background thread, its state told to the service.
"""
