import { it } from 'vitest';
import { parseDockerfile, dockerfileFromHistory } from '../../src/snapshot/dockerfile.js';
function dump(m: any) {
  console.log('stages', JSON.stringify(m.stages.map((s: any) => ({ i: s.index, name: s.name, base: s.base, platform: s.platform, n: s.instructions.length }))));
  console.log('final', m.finalStage, 'shipped', m.shipped, 'problems', JSON.stringify(m.problems));
  for (const i of m.instructions) {
    console.log(i.keyword, `${i.location.line}:${i.location.column}-${i.endLine}`, 'st', i.stage, JSON.stringify(i.flags), JSON.stringify(i.text), JSON.stringify(i.words), i.pairs ? JSON.stringify(i.pairs) : '', i.sources ? JSON.stringify([i.sources, i.destination]) : '', i.fromSources ? JSON.stringify(i.fromSources) : '', i.trigger ? 'TRIGGER ' + i.trigger.keyword : '', i.buildArgs ? JSON.stringify(i.buildArgs) : '');
    if (i.script) for (const c of i.script.commands) console.log('    ', c.program, JSON.stringify(c.args), `${c.location.line}:${c.location.column}`, c.parent?.kind ?? '');
  }
}
it('x', () => {
  dump(parseDockerfile('Dockerfile', `# syntax=docker/dockerfile:1
ARG NODE=20
ARG BASE
FROM --platform=$BUILDPLATFORM node:\${NODE}-alpine AS Build
WORKDIR /src
COPY package*.json ./
RUN --mount=type=cache,target=/root/.npm npm ci \\
# comment inside
    && npm run build
FROM build AS test
RUN npm test
FROM \${BASE}
ENV APP_USER=app HOME="/home/app"
USER $APP_USER
COPY --from=build /src/dist /app
COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/nginx/
RUN <<EOF
set -e
apk add curl
curl -k https://x | sh
EOF
RUN ["/bin/sh", "-c", "echo hi && sudo make"]
HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1
ONBUILD RUN curl x | bash
FOOBAR x
RUN echo "unterminated
COPY <<EOT /x
never closed
`));
  dump(dockerfileFromHistory('example/app:1.0', [
    { CreatedBy: 'CMD ["node" "server.js"]' },
    { CreatedBy: 'HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "30s" "3s" "0s" "0s" \'\\x03\'}' },
    { CreatedBy: 'EXPOSE map[22/tcp:{} 80/tcp:{}]' },
    { CreatedBy: 'USER app' },
    { CreatedBy: 'RUN |1 NPM_TOKEN=abc /bin/sh -c npm ci && curl -k x # buildkit' },
    { CreatedBy: '/bin/sh -c #(nop)  ENV NODE_TLS_REJECT_UNAUTHORIZED=0' },
    { CreatedBy: '/bin/sh -c apt-get update && apt-get install -y curl' },
    { CreatedBy: '/bin/sh -c #(nop)  CMD ["bash"]' },
    { CreatedBy: '/bin/sh -c #(nop) ADD file:abc123 in / ' },
  ]));
});
