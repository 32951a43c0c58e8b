"""Index builds spread over a Ray cluster. Only ``ray_build`` imports Ray, an optional extra.

- ``job``: a ``--ray`` build, run in a child process so Ray never shares the command's.
- ``driver``: that child process: the Ray driver.
- ``ray_build``: the build on a Ray cluster: the same plan, chunks and generation as a local one.
"""
