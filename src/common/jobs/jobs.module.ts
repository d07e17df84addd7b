import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullJobIntake } from 'src/common/jobs/bull-job-intake';
import { JobScheduleRegistrar } from 'src/common/jobs/job-schedule.registrar';
import { LifecycleModule } from 'src/common/lifecycle/lifecycle.module';

/**
 * The schedule registrar, the boot-time job-handler check, and the shutdown's stop of the queues this process
 * processes, for every process that uses Bull.
 */
@Module({ imports: [DiscoveryModule, LifecycleModule], providers: [JobScheduleRegistrar, BullJobIntake] })
export class JobsModule {}
