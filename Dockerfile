# The dockaudit image. It audits the host it runs on:
#
#   docker run --rm -v /:/host:ro -v /var/run/docker.sock:/var/run/docker.sock:ro --pid host \
#     dockaudit:<version> audit --host-root /host
#
# It holds the bundled CLI only (dist/bundle needs no node_modules). `npm run image` builds it
# with a base made from the build machine's own node when no registry can be reached.
ARG BASE=node:20-bookworm-slim
FROM ${BASE}

WORKDIR /opt/dockaudit
COPY package.json ./
COPY bin/dockaudit bin/dockaudit
COPY dist/bundle/ dist/bundle/

ENV NODE_ENV=production
# Root in the container, on purpose: the Docker socket is root:docker 0660 (its group id differs
# between hosts) and several files the audit judges under /host are readable by root only
# (daemon.json, TLS keys' modes, audit rules, /proc of the daemon). Nothing is written: run it
# with / and the socket mounted read-only (see README, "The dockaudit image").
USER 0:0
ENTRYPOINT ["node", "/opt/dockaudit/bin/dockaudit"]
CMD ["audit", "--host-root", "/host"]
