"""Index builds spread over a Ray cluster. Only ``ray_build`` imports Ray, an optional extra."""
