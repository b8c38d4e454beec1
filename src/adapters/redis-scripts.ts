/**
 * Applies a core-data update atomically: compares the stored `version`, and only when the update is
 * strictly newer (the rule of domain/tracking/core-data.ts isNewer) writes the hash and PUBLISHes the
 * JSON. Returns 1 when applied, 0 when stale. Being one script, no other client can interleave a
 * write between the comparison and the HSET (no read-then-write race).
 *
 * KEYS[1] = program hash; ARGV[1] = version, ARGV[2] = channel, ARGV[3] = JSON to publish,
 * ARGV[4..] = field, value, field, value, ...
 */
export const APPLY_CORE_DATA_LUA = `
local stored = redis.call('HGET', KEYS[1], 'version')
if stored and tonumber(stored) and tonumber(stored) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`;
