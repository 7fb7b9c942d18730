import time

from django.core.management.base import BaseCommand, CommandError

from common.errors import ServiceError
from demo.bench import bench_data_generate


class Command(BaseCommand):
    help = (
        "生成性能测试数据：N 个虚构单位、Y 个年度的计划（结构取自 2022 年计划文件），"
        "12 个月的进度填报全部审核通过。重复运行会替换同一标识的测试计划。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=1000, help="虚构单位数（默认 1000）")
        parser.add_argument("--years", type=int, default=1, help="计划年度数（默认 1）")
        parser.add_argument(
            "--slug-prefix", default="bench", help="计划标识和单位代码的前缀（默认 bench）"
        )
        parser.add_argument("--first-year", type=int, default=2022, help="第一个年度（默认 2022）")
        parser.add_argument("--seed", type=int, default=2022, help="随机种子（默认 2022）")

    def handle(self, *args, units, years, slug_prefix, first_year, seed, **options):
        started = time.perf_counter()
        try:
            result = bench_data_generate(
                units=units, years=years, slug_prefix=slug_prefix, first_year=first_year, seed=seed
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.perf_counter() - started
        slugs = "、".join(p.slug for p in result.plans)
        summary = "，".join(f"{key} {n}" for key, n in sorted(result.counts.items()))
        self.stdout.write(self.style.SUCCESS(f"已生成「{slugs}」：{summary}（{seconds:.1f} 秒）"))
