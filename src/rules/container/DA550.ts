import * as z from '../../zod.js';
import { isLoopback } from '../shared/format.js';
import { defineRule, forEachWorkload, listOf } from '../define.js';
import { isImageNamed, parseImageReference } from '../../parsers/image-reference.js';
import type { WorkloadPort } from '../../views/workload.js';

/**
 * Database images by repository name (last path component), or by a path suffix where the
 * last component alone says nothing (`mssql/server`).
 */
const DATABASE_IMAGES = [
  'postgres', 'postgresql', 'postgis', 'timescaledb', 'mysql', 'mysql-server', 'percona', 'percona-server',
  'mariadb', 'mongo', 'mongodb', 'mongodb-community-server', 'mongodb-enterprise-server', 'redis', 'redis-stack',
  'redis-stack-server', 'valkey', 'keydb', 'elasticsearch', 'opensearch', 'cassandra', 'scylla', 'couchdb',
  'couchbase', 'neo4j', 'influxdb', 'memcached', 'clickhouse', 'clickhouse-server', 'cockroach', 'etcd',
  'arangodb', 'rethinkdb', 'db2', 'crate', 'mssql/server', 'mssql-server-linux', 'azure-sql-edge', 'oracle-xe',
  'oracle-free', 'database/enterprise', 'database/free', 'oracle/database',
];

/**
 * Default ports of those databases (client and cluster ports, not generic web ports). Ports that
 * common non-database images publish too are left out (50000, Db2's, is the Jenkins agent port;
 * 8123, ClickHouse's HTTP port, is Home Assistant's): those databases are known by their image.
 */
const DATABASE_PORTS: Record<number, string> = {
  1433: 'SQL Server',
  1521: 'Oracle',
  2379: 'etcd',
  3306: 'MySQL/MariaDB',
  5432: 'PostgreSQL',
  5984: 'CouchDB',
  6379: 'Redis',
  7474: 'Neo4j HTTP',
  7687: 'Neo4j Bolt',
  8086: 'InfluxDB',
  8529: 'ArangoDB',
  9042: 'Cassandra CQL',
  9200: 'Elasticsearch/OpenSearch HTTP',
  9300: 'Elasticsearch transport',
  11211: 'memcached',
  26257: 'CockroachDB',
  27017: 'MongoDB',
  28015: 'RethinkDB',
  33060: 'MySQL X protocol',
};

/** How a published port reads in a message: `5432/tcp on 0.0.0.0:15432`. */
function describeBinding(port: WorkloadPort): string {
  const address = port.hostIp === '' ? '0.0.0.0' : port.hostIp;
  const hostPort =
    port.hostPort === undefined ? '(random port)' : port.hostPortEnd ? `${port.hostPort}-${port.hostPortEnd}` : String(port.hostPort);
  return `${port.containerPort}/${port.protocol} on ${address.includes(':') ? `[${address}]` : address}:${hostPort}`;
}

interface DatabaseOptions {
  extraImages: string[];
  extraPorts: number[];
}

interface KnownDatabases {
  /** Image patterns, lower case. */
  images: string[];
  ports: Set<number>;
}

const knownByOptions = new WeakMap<DatabaseOptions, KnownDatabases>();

/** The database images and ports, the rule's options included; built once per run of the rule. */
function knownDatabases(options: DatabaseOptions): KnownDatabases {
  let known = knownByOptions.get(options);
  if (known === undefined) {
    known = {
      images: [...DATABASE_IMAGES, ...options.extraImages].map((pattern) => pattern.toLowerCase()),
      ports: new Set([...Object.keys(DATABASE_PORTS).map(Number), ...options.extraPorts]),
    };
    knownByOptions.set(options, known);
  }
  return known;
}

export default defineRule({
  meta: {
    id: 'DA550',
    alias: 'container-database-exposed',
    family: 'container',
    title: 'No database is published on a non-loopback address',
    severity: 'critical',
    rationale:
      'Databases are the prime target of mass scanning: a published PostgreSQL, Redis, MongoDB or Elasticsearch port on a public or LAN address is found within hours, and many images start without authentication.',
    remediation:
      'Do not publish database ports; reach the database over a user-defined network from the containers that need it, or publish it on 127.0.0.1 only (-p 127.0.0.1:5432:5432).',
    references: { cis: [], checklist: ['FW-2'] },
    needs: ['containers'],
    messages: {
      exposed: 'database {{database}} ({{image}}) is published on {{bindings}} (state: {{state}})',
      hostNetwork:
        'database {{database}} ({{image}}) shares the host network: it listens on every host interface unless configured to bind to loopback (exposed ports: {{ports}})',
      loopbackOnly: 'database {{database}} is published on loopback only ({{bindings}})',
      notPublished: 'database {{database}} is not published on the host',
      notDatabase: 'no database image and no database port published',
    },
  },
  options: z.object({
    /** More database images: a repository name (`mydb`) or a path suffix (`acme/store`). */
    extraImages: z._default(z.array(z.string().check(z.minLength(1))), []),
    /** More container ports to treat as database ports. */
    extraPorts: z._default(z.array(z.int().check(z.gte(1), z.lte(65535))), []),
  }),
  check: forEachWorkload((workload, { options }) => {
    const known = knownDatabases(options);
    const reference = parseImageReference(workload.image);
    const databaseImage = known.images.some((pattern) => isImageNamed(reference, pattern));
    const databasePorts = known.ports;
    const portName = (port: number): string => DATABASE_PORTS[port] ?? `database port ${port}`;
    if (workload.namespaces.network === 'host') {
      // Port bindings are discarded on the host network: the process listens on the host's
      // interfaces directly, on whatever address it is configured for.
      const declared = workload.exposedPorts.filter((key) => databasePorts.has(Number.parseInt(key, 10)));
      if (!databaseImage && declared.length === 0) return { status: 'pass', messageId: 'notDatabase' };
      return {
        status: 'warn',
        messageId: 'hostNetwork',
        data: {
          database: databaseImage ? reference.name : listOf(declared.map((key) => portName(Number.parseInt(key, 10)))),
          image: workload.image,
          ports: listOf(databaseImage ? workload.exposedPorts : declared),
        },
        key: 'network_mode',
      };
    }
    // A database image counts on every published port; any other image only on database ports.
    const candidates = databaseImage ? workload.ports : workload.ports.filter((port) => databasePorts.has(port.containerPort));
    const exposed = candidates.filter((port) => !isLoopback(port.hostIp));
    const namePorts = (ports: WorkloadPort[]): string =>
      databaseImage ? reference.name : listOf([...new Set(ports.map((port) => portName(port.containerPort)))]);
    if (exposed.length > 0) {
      return {
        status: 'fail',
        messageId: 'exposed',
        data: {
          database: namePorts(exposed),
          image: workload.image,
          bindings: listOf(exposed.map(describeBinding)),
          state: workload.state ?? 'defined',
        },
        key: 'ports',
      };
    }
    if (candidates.length > 0) {
      return {
        status: 'pass',
        messageId: 'loopbackOnly',
        data: { database: namePorts(candidates), bindings: listOf(candidates.map(describeBinding)) },
      };
    }
    if (databaseImage) return { status: 'pass', messageId: 'notPublished', data: { database: reference.name } };
    return { status: 'pass', messageId: 'notDatabase' };
  }),
});
