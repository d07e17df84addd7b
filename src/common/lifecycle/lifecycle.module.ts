import { Global, Module } from '@nestjs/common';
import { BurstDetector, BurstYield } from 'src/common/lifecycle/burst-yield';
import { ShutdownState } from 'src/common/lifecycle/shutdown-state';

/** The process's shutdown state, for readiness and for the modules that register a work intake. */
@Global()
@Module({ providers: [ShutdownState, BurstYield, BurstDetector], exports: [ShutdownState, BurstYield, BurstDetector] })
export class LifecycleModule {}
