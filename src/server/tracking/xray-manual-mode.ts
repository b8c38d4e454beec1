/**
 * main.ts's first import, so it runs before any module loads the X-Ray SDK (the adapters wrap their
 * clients with the Powertools Tracer). In its default automatic mode that SDK installs, on import, an
 * async hook (cls-hooked) that tracks every promise of the process, traced or not: profiled under load,
 * it halved the server's throughput. This process sends no traces, so the SDK starts in manual mode.
 */
process.env.AWS_XRAY_MANUAL_MODE ??= 'true';
