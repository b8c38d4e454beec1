/** A local stand-in for an AWS service (or Redis), running until stop(). */
export interface RunningService {
  name: string;
  endpoint: string;
  stop(): Promise<void>;
}

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
/** Dummy credentials. s3rver accepts only its own fixed key pair; the other services accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
