"""Where job results live: the instance folder by default, S3-compatible storage when configured.

Keys are relative paths (`jobs/<job id>/result`). Both storages have one interface: `put` (atomic:
a reader sees the old object or the whole new one, never a half), `get`, `stream`, `exists`,
`delete_prefix` and `delete_older_than` (the scheduled clean-up's sweep of forgotten files).

S3 (STORAGE_URL=s3://bucket/prefix, with S3_ENDPOINT_URL for MinIO, Garage, Ceph, Scaleway...):
a PUT replaces an object whole, so writes are atomic there too. Downloads are streamed through
the app by default rather than redirected to a presigned URL: the owner check stays on every
request (a presigned URL is a bearer link anyone it is forwarded to can use until it expires),
the object store can stay on a private network the phones never reach, and results are a few
megabytes sent in 64 KiB pieces. A deployment whose bucket is reachable by the browsers can set
STORAGE_PRESIGNED_DOWNLOADS=1: the download then answers 302 to a URL valid for 5 minutes.
"""

import os
import shutil
import tempfile
from datetime import UTC
from pathlib import Path
from urllib.parse import urlparse

import boto3
from flask import current_app

from core.downloads import content_disposition

CHUNK_SIZE = 64 * 1024
PRESIGNED_SECONDS = 300


class LocalStorage:
    """Files under a folder (the instance folder's `files/` by default)."""

    presigned_downloads = False

    def __init__(self, root):
        self.root = Path(root)

    def path(self, key):
        path = (self.root / key).resolve()
        if ".." in key.split("/") or self.root.resolve() not in path.parents:
            raise ValueError(f"bad storage key {key!r}")
        return path

    def put(self, key, data):
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
        return key

    def get(self, key):
        return self.path(key).read_bytes()

    def stream(self, key):
        with self.path(key).open("rb") as handle:
            while piece := handle.read(CHUNK_SIZE):
                yield piece

    def exists(self, key):
        return self.path(key).is_file()

    def delete_prefix(self, prefix):
        path = self.path(prefix)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file():
            path.unlink(missing_ok=True)

    def delete_older_than(self, prefix, cutoff):
        """Delete the files under `prefix` last written before `cutoff` (naive UTC)."""
        top = self.path(prefix)
        if not top.is_dir():
            return 0
        limit = cutoff.replace(tzinfo=UTC).timestamp()
        old = [path for path in top.rglob("*") if path.is_file() and path.stat().st_mtime < limit]
        for path in old:
            path.unlink(missing_ok=True)
        return len(old)


class S3Storage:
    """Objects in a bucket, under a prefix, through boto3 (any S3-compatible server)."""

    def __init__(self, client, bucket, prefix="", presigned_downloads=False):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.presigned_downloads = presigned_downloads

    def name(self, key):
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"bad storage key {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key, data):
        self.client.put_object(Bucket=self.bucket, Key=self.name(key), Body=data)
        return key

    def get(self, key):
        return self.client.get_object(Bucket=self.bucket, Key=self.name(key))["Body"].read()

    def stream(self, key):
        body = self.client.get_object(Bucket=self.bucket, Key=self.name(key))["Body"]
        try:
            yield from body.iter_chunks(CHUNK_SIZE)
        finally:
            body.close()

    def exists(self, key):
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.name(key))
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def objects(self, prefix):
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.name(prefix.rstrip("/")) + "/"
        )
        for page in pages:
            yield from page.get("Contents", [])

    def delete_names(self, names):
        for start in range(0, len(names), 1000):  # DeleteObjects takes 1,000 keys at a time
            batch = [{"Key": name} for name in names[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch})
        return len(names)

    def delete_prefix(self, prefix):
        names = [item["Key"] for item in self.objects(prefix)]
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.name(prefix))
        except self.client.exceptions.ClientError:
            pass
        self.delete_names(names)

    def delete_older_than(self, prefix, cutoff):
        limit = cutoff.replace(tzinfo=UTC)
        return self.delete_names(
            [item["Key"] for item in self.objects(prefix) if item["LastModified"] < limit]
        )

    def download_url(self, key, filename, mimetype):
        """A short-lived link to the object, named as the download should be."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": self.name(key),
                "ResponseContentDisposition": content_disposition(filename),
                "ResponseContentType": mimetype,
            },
            ExpiresIn=PRESIGNED_SECONDS,
        )


_clients = {}


def s3_client(config):
    """One boto3 client per process and settings (clients are thread-safe, not fork-safe)."""
    settings = (
        os.getpid(),
        config.get("S3_ENDPOINT_URL") or None,
        config.get("S3_REGION") or None,
        config.get("AWS_ACCESS_KEY_ID") or None,
        config.get("AWS_SECRET_ACCESS_KEY") or None,
    )
    if settings not in _clients:
        _pid, endpoint, region, key_id, secret = settings
        _clients[settings] = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
        )
    return _clients[settings]


def storage_from_config(config, instance_path):
    url = config.get("STORAGE_URL") or ""
    if url.startswith("s3://"):
        parsed = urlparse(url)
        return S3Storage(
            s3_client(config),
            parsed.netloc,
            parsed.path,
            presigned_downloads=bool(config.get("STORAGE_PRESIGNED_DOWNLOADS")),
        )
    if url:
        raise ValueError(f"STORAGE_URL must start with s3:// (got {url!r})")
    return LocalStorage(config.get("STORAGE_ROOT") or Path(instance_path) / "files")


def get_storage():
    """The configured storage: S3 when STORAGE_URL=s3://..., else the folder STORAGE_ROOT, else
    `<instance>/files`."""
    return storage_from_config(current_app.config, current_app.instance_path)
