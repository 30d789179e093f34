# syntax=docker/dockerfile:1
# Worker image. Its command is the console command the tests run (`livewire worker -l info`);
# tests/unit/test_deploy.py checks this file against the code (no Docker engine runs in CI).
ARG PYTHON_IMAGE=python:3.11.10-slim-bookworm

# --- build: install the package and its pinned dependencies into a venv, compile the hot stages ----
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# A C compiler for mypyc; only this stage has it. Without it the stages run as pure Python (the
# build prints why), so the image still works.
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/livewire
WORKDIR /src
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY scripts/compile_stages.py ./scripts/
RUN /opt/livewire/bin/pip install .
# mypy (mypyc) lives in a throwaway venv; the extensions go to /opt/livewire/livewire-compiled.
RUN python -m venv /opt/build \
    && /opt/build/bin/pip install '.[compile]' \
    && /opt/build/bin/python scripts/compile_stages.py --prefix /opt/livewire

# --- runtime: the venv only, no compilers or build files, a non-root user --------------------------
FROM ${PYTHON_IMAGE}
RUN useradd --system --uid 10001 --home-dir /var/lib/livewire --create-home livewire
COPY --from=build /opt/livewire /opt/livewire
ENV PATH=/opt/livewire/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    LIVEWIRE_WEB_HOST=0.0.0.0 \
    LIVEWIRE_WEB_PORT=6066 \
    LIVEWIRE_STORE=rocksdb:// \
    LIVEWIRE_DATA_DIR=/var/lib/livewire/data
USER 10001
WORKDIR /var/lib/livewire
# RocksDB tables live here; they are rebuilt from their changelogs when the volume is new.
VOLUME ["/var/lib/livewire"]
EXPOSE 6066
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['LIVEWIRE_WEB_PORT'], timeout=3)"]
CMD ["livewire", "worker", "-l", "info"]
