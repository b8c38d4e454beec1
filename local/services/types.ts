/** A local stand-in for an AWS service (or Redis), running until stop(). */
export interface RunningService {
  name: string;
  endpoint: string;
  stop(): Promise<void>;
  /** For a service whose data survives a restart: stop it and start it again, on the same endpoint. */
  control?: ServiceControl;
}

export interface ServiceControl {
  stop(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
}

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
/** Dummy credentials. s3rver accepts only its own fixed key pair; the other services accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
