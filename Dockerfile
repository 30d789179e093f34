# Worker image: the same `livewire worker` command the tests run.
FROM python:3.11.10-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY streams ./streams
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11.10-slim-bookworm
COPY --from=build /install /usr/local
RUN useradd --create-home --uid 10001 livewire
USER livewire
WORKDIR /home/livewire
ENV LIVEWIRE_DATA_DIR=/home/livewire/data
EXPOSE 6066
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:6066/healthz', timeout=2)"
CMD ["livewire", "worker", "-l", "info"]
