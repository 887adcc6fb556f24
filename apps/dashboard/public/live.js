// The live indicator stream (Server-Sent Events from GET /api/live?ou=…), read with fetch so the
// token goes in the Authorization header. Reconnects with a growing pause when the stream breaks.

/**
 * Starts listening to cells under `ou`; `onCell(cell)` per indicator event, `onStatus(state,
 * detail)` with 'connecting' | 'connected' | 'retrying'. Returns a function that stops it.
 */
export function connectLive(ou, token, { onCell, onStatus }) {
  const controller = new AbortController();
  let attempt = 0;
  let stopped = false;

  const run = async () => {
    while (!stopped) {
      onStatus('connecting');
      try {
        const response = await fetch(`/api/live?ou=${encodeURIComponent(ou)}`, {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) {
          throw new Error(`HTTP ${response.status}`);
        }
        await readEvents(response.body, (event, data) => {
          if (event === 'ready') {
            attempt = 0;
            onStatus('connected');
          } else if (event === 'indicator') {
            onCell(data);
          }
        });
      } catch (error) {
        if (stopped || error.name === 'AbortError') return;
      }
      if (stopped) return;
      attempt += 1;
      const seconds = Math.min(30, 2 ** Math.min(attempt, 5));
      onStatus('retrying', seconds);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}

/** Parses a text/event-stream body: blank-line separated blocks of `event:` and `data:` lines. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let boundary;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length === 0) continue;
      try {
        onEvent(event, JSON.parse(data.join('\n')));
      } catch {
        // A malformed block is skipped; the next one may be fine.
      }
    }
  }
}
