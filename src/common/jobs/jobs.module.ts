import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobScheduleRegistrar } from 'src/common/jobs/job-schedule.registrar';

/** The schedule registrar and the boot-time job-handler check, for every process that uses Bull. */
@Module({ imports: [DiscoveryModule], providers: [JobScheduleRegistrar] })
export class JobsModule {}
