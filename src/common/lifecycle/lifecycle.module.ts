import { Global, Module } from '@nestjs/common';
import { ShutdownState } from 'src/common/lifecycle/shutdown-state';

/** The process's shutdown state, for readiness and for the modules that register a work intake. */
@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class LifecycleModule {}
