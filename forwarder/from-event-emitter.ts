import type { EventEmitter } from 'node:events';
import { Observable } from 'rxjs';

/**
 * The values an `EventEmitter` emits under `eventName`, as an Observable; `'error'` errors it and, when
 * given, `endEvent` completes it. An emitter cannot be paused, so the forwarder's bounded queues report
 * what overflows.
 *
 * @example
 * import { createForwarder, fromEventEmitter } from 'siemkit/forwarder';
 * createForwarder(settings).run(fromEventEmitter(agent, 'event', 'close'));
 */
export function fromEventEmitter(
  emitter: EventEmitter,
  eventName: string,
  endEvent?: string,
): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    const onValue = (value: unknown) => subscriber.next(value);
    const onError = (error: unknown) => subscriber.error(error);
    const onEnd = () => subscriber.complete();
    emitter.on(eventName, onValue);
    emitter.on('error', onError);
    if (endEvent) emitter.on(endEvent, onEnd);
    return () => {
      emitter.off(eventName, onValue);
      emitter.off('error', onError);
      if (endEvent) emitter.off(endEvent, onEnd);
    };
  });
}
