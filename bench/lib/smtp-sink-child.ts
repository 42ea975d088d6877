/**
 * Runs an {@link SmtpSink} in its own process, as a real SMTP server would be: the benchmark's event loop
 * then carries only the sending side. Talks to its parent over the IPC channel (`SinkRequest`/`SinkReply`).
 */
import { SmtpSink, type SinkReply, type SinkRequest } from './smtp-sink.js';

const sink = await new SmtpSink().start();
const send = (reply: SinkReply) => process.send!(reply);
process.on('message', async (request: SinkRequest) => {
  if (request.type === 'reset') {
    sink.reset();
    send({ type: 'reset' });
  } else if (request.type === 'report') {
    send({ type: 'report', accepted: sink.accepted });
  } else {
    await sink.stop();
    process.exit(0);
  }
});
send({ type: 'started', port: sink.port });
