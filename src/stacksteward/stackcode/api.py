from ninja import Router

router = Router(tags=["stack as code"])
