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
/**
 * The credentials the local cloud gives its functions and tools. Nothing special about them: every
 * local service accepts any access key and region (as LocalStack does) and shows the same resources.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
