/** What a server reports about itself: Prometheus text for /metrics, and one line for a log each minute. */

export interface ServerCounts {
  connections: number;
  rooms: number;
  messagesIn: number;
  messagesOut: number;
  /** Messages skipped for slow consumers. */
  dropped: number;
  /** Messages refused or not relayed: duplicates, system messages a room does not allow. */
  filtered: number;
  /** Connections closed by a rule, by close code. */
  closed: Record<number, number>;
  /** 99th percentile of the time to hand one message to every socket of a room, in ms. */
  fanoutP99: number;
}

const GAUGES_AND_COUNTERS: Array<
  [name: string, type: 'gauge' | 'counter', help: string, value: (c: ServerCounts) => number]
> = [
  ['jam_session_connections', 'gauge', 'Open WebSocket connections', (c) => c.connections],
  ['jam_session_rooms', 'gauge', 'Rooms held (with people, or recently)', (c) => c.rooms],
  ['jam_session_messages_in_total', 'counter', 'Messages received from clients', (c) => c.messagesIn],
  ['jam_session_messages_out_total', 'counter', 'Messages sent to clients', (c) => c.messagesOut],
  [
    'jam_session_drops_total',
    'counter',
    'Messages skipped for slow consumers (replaced by snapshots)',
    (c) => c.dropped,
  ],
  [
    'jam_session_filtered_total',
    'counter',
    'Messages not relayed: duplicates, system messages a room does not allow',
    (c) => c.filtered,
  ],
  [
    'jam_session_fanout_p99_seconds',
    'gauge',
    '99th percentile time to hand one message to a room',
    (c) => c.fanoutP99 / 1000,
  ],
];

/** Prometheus text exposition format, version 0.0.4. */
export function metricsText(counts: ServerCounts): string {
  const lines = GAUGES_AND_COUNTERS.flatMap(([name, type, help, value]) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} ${type}`,
    `${name} ${value(counts)}`,
  ]);
  lines.push(
    '# HELP jam_session_closed_total Connections closed for breaking a rule, by close code',
    '# TYPE jam_session_closed_total counter',
  );
  for (const [code, count] of Object.entries(counts.closed))
    lines.push(`jam_session_closed_total{code="${code}"} ${count}`);
  return `${lines.join('\n')}\n`;
}

export function healthLine(counts: ServerCounts): string {
  const closed = Object.values(counts.closed).reduce((sum, n) => sum + n, 0);
  const rooms = `${counts.rooms} room${counts.rooms === 1 ? '' : 's'}`;
  return `${counts.connections} connected in ${rooms}, ${counts.messagesIn} in / ${counts.messagesOut} out, ${counts.dropped} skipped for slow clients, ${closed} closed for rules, fan-out p99 ${counts.fanoutP99.toFixed(2)} ms`;
}
