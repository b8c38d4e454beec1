import { optionalStr, type Provisioner } from './step.ts';

/** ElastiCache for Redis: the one local Redis, with the AUTH token the template gives the group. */
export const cacheProvisioners: Record<string, Provisioner> = {
  'AWS::ElastiCache::ReplicationGroup': async (step) => {
    const { redis } = step.deps;
    const token = optionalStr(step, step.props.AuthToken);
    if (token) await redis.requirePassword(token);
    const endpoint = {
      'PrimaryEndPoint.Address': redis.host,
      'PrimaryEndPoint.Port': String(redis.port),
      'ReaderEndPoint.Address': redis.host,
      'ReaderEndPoint.Port': String(redis.port),
    };
    return { ref: step.logicalId, attributes: endpoint };
  },
};
