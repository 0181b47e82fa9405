# A stand-in for the official python:3.11-slim-bookworm image, built only from Debian packages, for
# machines that reach Debian and PyPI but no image registry (scripts/image-check). Debian 12's
# Python is 3.11, like the official image's; the official image remains what production pulls.
FROM interview-desk/bookworm-minbase
ENV LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && ln -s /usr/bin/python3 /usr/local/bin/python \
 && rm -rf /var/lib/apt/lists/*
LABEL org.interview-desk.stand-in="debootstrap bookworm minbase + Debian python3"
CMD ["python3"]
