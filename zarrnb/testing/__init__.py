"""Test helpers that ship with zarrnb: the store contract suite and a local S3 server."""
