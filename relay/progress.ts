/**
 * One status line on stderr: rewritten in place on a terminal, one line per change otherwise
 * (so logs and CI output stay readable).
 */
export function statusLine(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let last = '';
  return {
    update(status: string, elapsedMs: number) {
      const text = `${label}: ${status} (${(elapsedMs / 1000).toFixed(1)} s)`;
      if (stream.isTTY) stream.write(`\r\x1b[2K${text}`);
      else if (status !== last) stream.write(`${text}\n`);
      last = status;
    },
    done() {
      if (stream.isTTY && last) stream.write('\n');
    },
  };
}
