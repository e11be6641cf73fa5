// A certificate for a loopback TLS receiver, valid for localhost and 127.0.0.1.
import { makeLeaf, type Pem } from './certs.js';

export function tlsMaterial(): Promise<Pem> {
  return makeLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'] });
}
