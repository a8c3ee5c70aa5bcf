// Loads google.pubsub.v1 from the .proto files that ship inside the client packages, so the
// emulator speaks exactly the wire format of the client version installed next to it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

/** The directories that `import "google/…"` statements in pubsub.proto resolve against. */
export function protoIncludeDirs(): string[] {
  // pubsub ships its own protos; google-gax (its dependency) ships google/api, google/protobuf, ….
  const pubsubRoot = packageRoot(require.resolve('@google-cloud/pubsub'), '@google-cloud/pubsub');
  const gaxRoot = packageRoot(createRequire(path.join(pubsubRoot, 'package.json')).resolve('google-gax'), 'google-gax');
  return [path.join(pubsubRoot, 'build', 'protos'), path.join(gaxRoot, 'build', 'protos')];
}

/** The package directory above a resolved entry file (its package.json may not be in `exports`). */
function packageRoot(entry: string, name: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === name) return dir;
  }
  throw new Error(`Cannot find the ${name} package above ${entry}; is it installed?`);
}

export interface PubSubServices {
  publisher: grpc.ServiceDefinition;
  subscriber: grpc.ServiceDefinition;
}

let cached: PubSubServices | undefined;

/**
 * Handlers receive camelCase objects with defaults filled in (empty strings, 0, [] and null for
 * absent sub-messages), int64 as strings and enums as names; that is what the handlers assume.
 */
export function loadPubSubServices(): PubSubServices {
  if (cached) return cached;
  const definition = protoLoader.loadSync('google/pubsub/v1/pubsub.proto', {
    includeDirs: protoIncludeDirs(),
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    arrays: true,
    objects: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    google: { pubsub: { v1: { Publisher: { service: grpc.ServiceDefinition }; Subscriber: { service: grpc.ServiceDefinition } } } };
  };
  const v1 = pkg.google.pubsub.v1;
  cached = { publisher: v1.Publisher.service, subscriber: v1.Subscriber.service };
  return cached;
}
